/// The fill lease's functions (cluster mode): a fill's claim on its key, alone or together with its
/// first upstream call's bucket reservation and the connection's breaker row — one round trip for
/// everything a miss needs before it calls upstream.
enum FillSchema {
    static let statements: [String] = [
        // The lease if free, expired, or still held by this replica (owners are "<replica>/<fill>"): a
        // replica fills a key once at a time, so a lease of its own belongs to a fill that has finished
        // and whose release is still behind its answer. Unless a fill that may use one finds a fresh
        // answer another replica stored since it looked. Answers {1 claimed | 0 held elsewhere | 2
        // stored, the invalidation clock as the lease was taken}.
        """
        CREATE FUNCTION flowgate_fill_claim(p_key text, p_owner text, p_hold double precision, p_accepts_stored boolean)
        RETURNS double precision[] LANGUAGE plpgsql AS $$
        DECLARE
            v_clock bigint;
        BEGIN
            IF p_accepts_stored AND EXISTS (
                SELECT 1 FROM flowgate_cache c
                WHERE c.key = p_key AND c.stored_at + c.ttl_s > extract(epoch FROM clock_timestamp())
                  AND NOT EXISTS (SELECT 1 FROM flowgate_cache_invalidations i WHERE i.tag = ANY (c.tags) AND i.generation > c.generation)) THEN
                RETURN ARRAY[2, 0]::double precision[];
            END IF;
            INSERT INTO flowgate_fill_leases AS l (key, owner, expires_at)
            VALUES (p_key, p_owner, clock_timestamp() + make_interval(secs => p_hold))
            ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
                WHERE l.expires_at <= clock_timestamp() OR split_part(l.owner, '/', 1) = split_part(EXCLUDED.owner, '/', 1)
            RETURNING (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM flowgate_cache_clock) INTO v_clock;
            RETURN ARRAY[CASE WHEN v_clock IS NULL THEN 0 ELSE 1 END, coalesce(v_clock, 0)]::double precision[];
        END $$
        """,
        // The claim, the breaker row ({state: 0 closed, 1 open, 2 half open; failures; instant; version})
        // and, when claimed, the reservation (flowgate_limits_reserve's answer) — all in one call. A
        // refused reservation gives the lease back: the fill fails with the gateway's 429.
        """
        CREATE FUNCTION flowgate_fill_reserve(
            p_lease text, p_owner text, p_hold double precision, p_accepts_stored boolean, p_breaker text,
            p_keys text[], p_tags text[], p_kinds text[], p_a double precision[], p_b double precision[], p_max_wait double precision)
        RETURNS double precision[] LANGUAGE plpgsql AS $$
        DECLARE
            v_claim double precision[] := flowgate_fill_claim(p_lease, p_owner, p_hold, p_accepts_stored);
            v_breaker double precision[];
            v_reserved double precision[];
        BEGIN
            SELECT ARRAY[CASE b.state WHEN 'open' THEN 1 WHEN 'half_open' THEN 2 ELSE 0 END, b.failures, b.at_s, b.version]::double precision[]
                INTO v_breaker FROM flowgate_breakers b WHERE b.connection = p_breaker;
            v_breaker := coalesce(v_breaker, ARRAY[0, 0, 0, 0]::double precision[]);
            IF v_claim[1] <> 1 THEN
                RETURN v_claim || v_breaker;
            END IF;
            v_reserved := flowgate_limits_reserve(p_keys, p_tags, p_kinds, p_a, p_b, p_max_wait);
            IF v_reserved[1] < 0 THEN
                DELETE FROM flowgate_fill_leases WHERE key = p_lease AND owner = p_owner;
            END IF;
            RETURN v_claim || v_breaker || v_reserved;
        END $$
        """,
    ]
}
