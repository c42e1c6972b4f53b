"""Two gateway replicas sharing one rate limit through a real Redis (issue 8): with
ratelimit.backend = redis, login attempts spread over both replicas hit one combined per-IP
budget; with Redis stopped, the replicas fail open (as configured) instead of failing requests."""


def login(server, n):
    return server.post("/v1/auth/login", json={"email": f"nobody{n}@example.com",
                                               "password": "not-the-password-1"})


def test_two_replicas_share_one_limit_and_fail_open_without_redis(start_server, redis_server):
    proc, port = redis_server
    env = {"MILKYHOOP_RATELIMIT_BACKEND": "redis",
           "MILKYHOOP_REDIS_URL": f"redis://127.0.0.1:{port}",
           "MILKYHOOP_RATELIMIT_AUTH_PER_MINUTE": "6"}
    replicas = [start_server(env=env), start_server(env=env)]

    statuses = [login(replicas[i % 2], i).status_code for i in range(12)]
    assert statuses[:6] == [401] * 6, statuses  # wrong credentials, within the budget
    assert statuses[6:] == [429] * 6, "the combined limit of 6 a minute holds: " + str(statuses)
    refused = login(replicas[1], 99)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["Content-Type"].startswith("application/problem+json")

    proc.terminate()
    proc.wait(timeout=10)
    # Fail open (the default): requests go through to the login check, nothing crashes.
    for i in range(4):
        assert login(replicas[i % 2], 100 + i).status_code == 401
    metrics = replicas[0].get("/metrics").text
    assert "milkyhoop_ratelimit_redis_failures_total" in metrics
