import PostgresNIO

/// The fleet's upstream buckets in PostgreSQL: one row per (whose budget, bucket), holding a token
/// bucket's theoretical arrival time or a window's admission instants (ascending, at most `limit`),
/// each changed only by one function call under the row's lock on the database's clock. The same
/// state machines as ``TokenBucket`` and ``WindowBucket``, so three replicas share one schedule.
///
/// A call drawing from several buckets locks their rows in key order in one call (two such calls can
/// never wait on each other), reads each bucket's next slot, and records the latest of them in all.
enum LimitsSchema {
    /// Parameters of a bucket as the functions take them: `kind` is `window` (a = limit, b = how long
    /// an admission holds its slot, pace = window ÷ limit) or `rate` (a = interval, b = tolerance).
    /// `tag` names the whole shape: a row whose tag differs (config changed) starts afresh. A window's
    /// row counts its admissions in `tat` (which only token buckets need as a time; a whole number from
    /// the first admission on): a reservation's number, from which a correction knows how many calls
    /// were admitted after it.
    static let statements: [String] = [
        """
        CREATE UNLOGGED TABLE flowgate_limits (
            key text PRIMARY KEY,
            tag text NOT NULL,
            tat double precision NOT NULL,
            slots double precision[] NOT NULL,
            expires double precision NOT NULL)
        """,
        // Rewritten on every call: compressing it would cost more than its bytes.
        "ALTER TABLE flowgate_limits ALTER COLUMN slots SET STORAGE EXTERNAL",
        // A window's admissions with one more at p_at: the oldest leaves when the ring is full, and the
        // new instant lands in order (at the end, except after an upstream's correction).
        """
        CREATE FUNCTION flowgate_slots_take(p_slots double precision[], p_limit integer, p_at double precision)
        RETURNS double precision[] LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE
                WHEN cardinality(p_slots) = 0 THEN ARRAY[p_at]
                WHEN p_at >= p_slots[cardinality(p_slots)] THEN
                    (CASE WHEN cardinality(p_slots) >= p_limit THEN p_slots[2:cardinality(p_slots)] ELSE p_slots END) || p_at
                ELSE ARRAY(SELECT s FROM unnest(
                    (CASE WHEN cardinality(p_slots) >= p_limit THEN p_slots[2:cardinality(p_slots)] ELSE p_slots END) || p_at) AS s ORDER BY s)
            END
        $$
        """,
        // The row of one bucket, locked: created fresh if absent, started afresh if its shape changed.
        """
        CREATE FUNCTION flowgate_limits_lock(p_key text, p_tag text, p_now double precision)
        RETURNS flowgate_limits LANGUAGE plpgsql AS $$
        DECLARE
            v_row flowgate_limits%ROWTYPE;
        BEGIN
            SELECT * INTO v_row FROM flowgate_limits WHERE key = p_key FOR UPDATE;
            IF NOT FOUND THEN
                INSERT INTO flowgate_limits VALUES (p_key, p_tag, p_now, '{}', p_now) ON CONFLICT (key) DO NOTHING;
                SELECT * INTO v_row FROM flowgate_limits WHERE key = p_key FOR UPDATE;
            END IF;
            IF v_row.tag <> p_tag THEN
                UPDATE flowgate_limits SET tag = p_tag, tat = p_now, slots = '{}', expires = p_now WHERE key = p_key
                    RETURNING * INTO v_row;
            END IF;
            RETURN v_row;
        END $$
        """,
        // Slots in use at p_now (reserved ones included).
        """
        CREATE FUNCTION flowgate_limits_used(p_row flowgate_limits, p_kind text, p_a double precision, p_b double precision,
            p_now double precision)
        RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN p_kind = 'window'
                THEN (SELECT count(*) FROM unnest(p_row.slots) AS s WHERE s > p_now - p_b)::double precision
                ELSE least(round(p_b / p_a) + 1, greatest(0, ceil((p_row.tat - p_now) / p_a)))
            END
        $$
        """,
        // A slot in every bucket at once (UpstreamBucket.reserve). Answers {wait (>= 0) or minus the
        // retry-after when refused, the slot as Unix seconds, the deciding bucket (0-based), the call's
        // number among the first bucket's admissions, then the slots in use per bucket}.
        """
        CREATE FUNCTION flowgate_limits_reserve(
            p_keys text[], p_tags text[], p_kinds text[], p_a double precision[], p_b double precision[], p_max_wait double precision)
        RETURNS double precision[] LANGUAGE plpgsql AS $$
        DECLARE
            v_now double precision := extract(epoch FROM clock_timestamp());
            v_go double precision := v_now;
            v_binding integer := 1;
            v_admission double precision := 0;
            v_used double precision[] := array_fill(0::double precision, ARRAY[cardinality(p_keys)]);
            v_row flowgate_limits%ROWTYPE;
            v_next double precision;
            v_i integer;
        BEGIN
            FOR v_i IN SELECT k.o FROM unnest(p_keys) WITH ORDINALITY AS k(key, o) ORDER BY k.key LOOP
                v_row := flowgate_limits_lock(p_keys[v_i], p_tags[v_i], v_now);
                IF p_kinds[v_i] = 'window' THEN
                    v_next := CASE WHEN cardinality(v_row.slots) < p_a[v_i] THEN v_now ELSE greatest(v_now, v_row.slots[1] + p_b[v_i]) END;
                ELSE
                    v_next := greatest(v_now, v_row.tat - p_b[v_i]);
                END IF;
                IF v_next > v_go OR (v_next = v_go AND v_i < v_binding AND v_next > v_now) THEN
                    v_go := v_next;
                    v_binding := v_i;
                END IF;
                v_used[v_i] := flowgate_limits_used(v_row, p_kinds[v_i], p_a[v_i], p_b[v_i], v_now);
            END LOOP;
            IF v_go - v_now > p_max_wait THEN
                RETURN ARRAY[-(v_go - v_now), v_go, v_binding - 1, 0] || v_used;
            END IF;
            FOR v_i IN 1..cardinality(p_keys) LOOP
                IF p_kinds[v_i] = 'window' THEN
                    UPDATE flowgate_limits SET slots = flowgate_slots_take(slots, p_a[v_i]::integer, v_go), tat = floor(tat) + 1,
                        expires = greatest(expires, v_go + p_b[v_i])
                        WHERE key = p_keys[v_i] RETURNING * INTO v_row;
                ELSE
                    UPDATE flowgate_limits SET tat = greatest(tat, v_go) + p_a[v_i], expires = greatest(tat, v_go) + p_a[v_i]
                        WHERE key = p_keys[v_i] RETURNING * INTO v_row;
                END IF;
                v_used[v_i] := flowgate_limits_used(v_row, p_kinds[v_i], p_a[v_i], p_b[v_i], v_now);
                IF v_i = 1 AND p_kinds[v_i] = 'window' THEN
                    v_admission := v_row.tat;
                END IF;
            END LOOP;
            RETURN ARRAY[v_go - v_now, v_go, v_binding - 1, v_admission] || v_used;
        END $$
        """,
        // The upstream's word on one bucket (WindowBucket.limit, TokenBucket.block): only p_remaining
        // calls fit in the next p_reset_in seconds after a call sent at p_sent_at (null: now; a 429 is
        // p_remaining 0) and admitted as number p_admission (null: unknown). A token bucket only hears a
        // spent budget.
        """
        CREATE FUNCTION flowgate_limits_correct(
            p_key text, p_tag text, p_kind text, p_a double precision, p_b double precision, p_pace double precision,
            p_sent_at double precision, p_remaining integer, p_reset_in double precision, p_admission double precision)
        RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            v_now double precision := extract(epoch FROM clock_timestamp());
            v_reset double precision := v_now + greatest(0, p_reset_in);
            v_sent double precision := coalesce(p_sent_at, v_now);
            v_row flowgate_limits%ROWTYPE;
            v_promised integer;
            v_admissions integer;
            v_empty integer;
            v_excess integer;
            v_kept integer;
            v_slots double precision[];
        BEGIN
            v_row := flowgate_limits_lock(p_key, p_tag, v_now);
            IF p_kind <> 'window' THEN
                IF p_remaining <= 0 THEN
                    UPDATE flowgate_limits SET tat = greatest(tat, v_reset + p_b), expires = greatest(expires, v_reset + p_b) WHERE key = p_key;
                END IF;
                RETURN;
            END IF;
            -- The reset is stated in whole seconds (WindowBucket.resetResolution).
            SELECT greatest(0, count(*) FILTER (WHERE s > v_sent AND s < v_reset - 1)), count(*) FILTER (WHERE s < v_reset - 1 - p_b)
                INTO v_promised, v_admissions FROM unnest(v_row.slots) AS s;
            -- Slots an earlier correction placed are not calls the upstream has yet to see.
            IF p_admission IS NOT NULL THEN
                v_promised := least(v_promised, greatest(0, v_row.tat - p_admission)::integer);
            END IF;
            v_empty := p_a::integer - cardinality(v_row.slots);
            v_excess := least(v_promised + v_empty + v_admissions - greatest(0, p_remaining), v_empty + v_admissions);
            IF v_excess <= 0 THEN
                RETURN;
            END IF;
            -- Keep the places that free first (empty ones, then the oldest); take the rest until the reset.
            v_kept := greatest(0, v_empty + v_admissions - v_excess - v_empty);
            v_slots := ARRAY(SELECT s FROM (
                SELECT unnest(v_row.slots[1:v_kept]) AS s
                UNION ALL SELECT unnest(v_row.slots[v_admissions + 1:cardinality(v_row.slots)])
                UNION ALL SELECT v_reset + i * p_pace - p_b FROM generate_series(0, v_excess - 1) AS i) AS t ORDER BY s);
            UPDATE flowgate_limits SET slots = v_slots, expires = greatest(expires, v_slots[cardinality(v_slots)] + p_b) WHERE key = p_key;
        END $$
        """,
        // A call that left later than its slot (WindowBucket.restamp): each window's admission at
        // p_from moves to p_to. Rows in key order, like every other call that locks several.
        """
        CREATE FUNCTION flowgate_limits_restamp(p_keys text[], p_tags text[], p_from double precision, p_to double precision)
        RETURNS void LANGUAGE plpgsql AS $$
        DECLARE
            v_key text;
            v_slots double precision[];
            v_at integer;
        BEGIN
            FOR v_key IN SELECT k.key FROM unnest(p_keys, p_tags) AS k(key, tag)
                JOIN flowgate_limits l ON l.key = k.key AND l.tag = k.tag ORDER BY k.key LOOP
                SELECT slots INTO v_slots FROM flowgate_limits WHERE key = v_key FOR UPDATE;
                v_at := array_position(v_slots, p_from);
                CONTINUE WHEN v_at IS NULL;
                v_slots[v_at] := p_to;
                UPDATE flowgate_limits SET slots = ARRAY(SELECT s FROM unnest(v_slots) AS s ORDER BY s), expires = expires + (p_to - p_from)
                    WHERE key = v_key;
            END LOOP;
        END $$
        """,
    ]

    /// Rows whose every admission left its window a minute ago (and token buckets full again).
    static let sweep: PostgresQuery = "DELETE FROM flowgate_limits WHERE expires < extract(epoch FROM clock_timestamp()) - 60"
}
