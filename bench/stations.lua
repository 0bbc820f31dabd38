-- wrk script: GET /api/stations/{id} over the benchmark's stations, one after the other. Each station's request is
-- formatted once per thread (init), as wrk does for its one request without a script, so that the generator costs
-- about as much per request as it does against /q/health/live.
local ids = {}
for line in io.lines(os.getenv("STATIONS_FILE")) do ids[#ids + 1] = line end
local requests = {}
local n = 0

init = function(args)
  for i, id in ipairs(ids) do
    requests[i] = wrk.format("GET", "/api/stations/" .. id)
  end
end

request = function()
  n = n % #requests + 1
  return requests[n]
end

-- DELAY_MS set: each connection waits that long after every answer (a paced load; wrk has no rate limit).
local pause = tonumber(os.getenv("DELAY_MS") or "")
if pause then
  delay = function() return pause end
end
