import FlowgateCore
import FlowgateProviders
import Foundation

/// The upstream limiter: each call draws from every bucket its route names (Bitrix24's per-key and
/// per-portal limits at once), each keyed by whose budget it is. When a bucket is full the call waits
/// for its slot (FIFO, at most `maxWait` and never past the call's budget) or is refused with `429`
/// naming the bucket that held it back, at no cost to any bucket or the upstream.
/// Afterwards, what the answer says about the upstream's limit goes back to the call's own bucket: a
/// 429 blocks it, a reported remaining budget smaller than the bucket's corrects it.
struct BucketStage: Sendable {
    let owner: ConnectionLabels
    /// Every bucket of the connection by name: its key and shape.
    let buckets: [String: BucketDraw]
    let store: any RateLimitStore
    let maxWait: Duration
    let clock: any GatewayClock
    let metrics: GatewayMetrics

    func run<Answer: UpstreamOutcome>(_ call: UpstreamCall, _ budget: CallBudget, next: () async throws -> Answer) async throws -> Answer {
        let reservation = try await admit(call, budget)
        let answer: Answer
        do {
            answer = try await next()
        } catch {
            await settle(call, reservation)
            throw error
        }
        await settle(call, reservation)
        await learn(from: answer.asReply, bucket: call.bucket, reservation: reservation)
        return answer
    }

    /// Moves the call's slot to when its answer came (or it failed): the upstream counted it by then,
    /// so the call `limit` after it, a whole window (and the margin) later, can never reach the
    /// upstream less than a window after it — however late this one left (a busy gateway, a slow
    /// database reply, a new connection) or however long it queued upstream. Calls the gateway took
    /// more than 5 ms to complete after their slot are counted in `flowgate_ratelimit_late_total`.
    private func settle(_ call: UpstreamCall, _ reservation: Reservation) async {
        let late = clock.date.timeIntervalSince1970 - reservation.slot
        guard late > 0 else { return }
        if late > Self.lateness { metrics.recordRateLimitLate(owner, bucket: owner.bucketLabel(call.bucket)) }
        await store.restamp(call.buckets.map(draw), slot: reservation.slot, lateBy: late)
    }

    /// A call answered this long after its slot counts as late.
    static let lateness: TimeInterval = 0.005

    /// Waits for the call's slot in every bucket it draws from, or throws the canonical refusal.
    ///
    /// In a fleet fill (cluster mode) the fill's first upstream read makes the fill's claim in the same
    /// round trip as its reservation; when another replica holds the key, no read of the fill goes
    /// (``FleetClaim/Yielded``) and the fill waits for that replica's answer instead.
    @discardableResult
    func admit(_ call: UpstreamCall, _ budget: CallBudget) async throws -> Reservation {
        let names = call.buckets
        let allowed = min(maxWait, max(.zero, budget.deadline - clock.now))
        let reservation: Reservation
        if call.isRead, let claim = FleetClaim.current, await claim.mustMake() {
            let made = await store.reserve(names.map(draw), maxWait: allowed.seconds, claiming: claim, breaker: owner.breakerKey)
            claim.resolve(made.outcome)
            guard let made = made.reservation else { throw FleetClaim.Yielded() }
            reservation = made
        } else {
            // Only reads yield: a login another request shares must go whatever this fill learned.
            if call.isRead { try FleetClaim.current?.checkNotYielded() }
            reservation = await store.reserve(names.map(draw), maxWait: allowed.seconds)
        }
        for (name, used) in zip(names, reservation.used) { metrics.setBudgetUsed(owner, bucket: name, used: used) }
        let label = owner.bucketLabel(names.indices.contains(reservation.binding) ? names[reservation.binding] : call.bucket)
        switch reservation.decision {
        case .reject(let retryAfter):
            metrics.recordRateLimitRejection(owner, bucket: label)
            let seconds = RetryAfter.seconds(retryAfter)
            throw GatewayError(
                .rateLimited, "The gateway's budget for \(label) is spent; retry after \(seconds) s", retryAfterSeconds: seconds,
                connection: owner.connection, provider: owner.provider, details: [.init(field: "bucket", issue: label)]
            )
        case .admit(let wait):
            guard wait > 0 else { return reservation }
            metrics.recordRateLimitWait(owner, bucket: label)
            try await clock.sleep(for: .seconds(wait))
            return reservation
        }
    }

    /// What an answer says about the upstream's limit, applied to the bucket it describes (the call's
    /// own): a 429 blocks it until its `Retry-After`; a remaining budget corrects it.
    func learn(from reply: UpstreamReply, bucket: String, reservation: Reservation) async {
        let now = clock.date
        if reply.status == 429 {
            guard let until = RateLimitFeedback.blockedUntil(reply, provider: owner.provider, now: now) else { return }
            await store.block(draw(bucket), forSeconds: until.timeIntervalSince(now))
        } else if let budget = RateLimitFeedback.budget(reply, now: now) {
            await store.reconcile(draw(bucket), sentAt: reservation.slot, admission: reservation.admission, budget: budget)
        }
    }

    /// Every bucket of the connection as `GET /v1/connections` shows it (the budget gauges follow).
    func snapshot(scopes: [String: BucketSpec.Scope]) async -> [BucketInfo] {
        let names = buckets.keys.sorted()
        let draws = names.compactMap { buckets[$0] }
        let usage = await store.usage(draws)
        return zip(names, zip(draws, usage)).map { name, pair in
            let (draw, usage) = pair
            metrics.setBudgetUsed(owner, bucket: name, used: usage.used)
            let (kind, window, rate): (BucketInfo.Kind, Double?, Double?) =
                switch draw.shape {
                case .window(let size): (.window, size.window, nil)
                case .rate(let size): (.rate, nil, size.ratePerSecond)
                }
            return BucketInfo(
                bucket: name, kind: kind, keyedBy: (scopes[name] ?? .credential).rawValue, limit: draw.shape.limit, windowSeconds: window,
                ratePerSecond: rate, used: usage.used, nextFreeAt: usage.nextFree
            )
        }
    }

    private func draw(_ bucket: String) -> BucketDraw {
        buckets[bucket] ?? BucketDraw(key: BucketKey(credential: "unknown", bucket: bucket), shape: Self.fallback)
    }

    /// A bucket a route table does not define cannot pass start-up checks; this only keeps the type total.
    static let fallback = BucketShape.rate(TokenBucket.Size(ratePerSecond: 1, burst: 1))
}
