-- wrk script: GET /api/stations/{id} over the benchmark's stations, one after the other.
local ids = {}
for line in io.lines(os.getenv("STATIONS_FILE")) do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/stations/" .. ids[(n % #ids) + 1])
end

-- DELAY_MS set: each connection waits that long after every answer (a paced load; wrk has no rate limit).
local pause = tonumber(os.getenv("DELAY_MS") or "")
if pause then
  delay = function() return pause end
end
