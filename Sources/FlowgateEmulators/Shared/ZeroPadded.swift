/// `value` in decimal, zero-padded on the left to `width` digits (`7` → `07`): the hand-written timestamp
/// formats of Bitrix24, Workingflow and Geotareas all build their fields with it.
func zeroPadded(_ value: Int, _ width: Int = 2) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
