-- Shared by the wrk scripts of bench/: counts the answers whose status is not the expected one,
-- per wrk thread, and prints them (with the first such body) when the run ends, as
-- "<label> status <code>: <count>" lines the run.sh scripts grep for. Also numbers the threads
-- (the global `id` in each thread, for seeding its random numbers).
--   dofile(os.getenv("BENCH_LIB") .. "/wrk_statuses.lua")
--   count_statuses("sale", 201)
function count_statuses(label, expected)
  local threads = {}
  local counter = 0

  function setup(thread)
    counter = counter + 1
    thread:set("id", counter)
    threads[#threads + 1] = thread
  end

  function response(status, headers, body)
    if status ~= expected then
      statuses = statuses or {}
      statuses[status] = (statuses[status] or 0) + 1
      if not first_error then first_error = body end
    end
  end

  function done(summary, latency, requests)
    for _, t in ipairs(threads) do
      local s = t:get("statuses")
      if s then
        for code, count in pairs(s) do
          io.write(string.format("%s status %d: %d\n", label, code, count))
        end
      end
      local e = t:get("first_error")
      if e then io.write(label .. " first error body: " .. string.sub(e, 1, 300) .. "\n") end
    end
  end
end
