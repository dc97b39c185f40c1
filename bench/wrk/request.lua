-- One request, repeated by every wrk connection: method, path, bearer token and JSON body
-- come from the environment (set by bench/endpoint.js), so the same script drives
-- GET /v1/settings/{app} and POST /v1/stats. done() prints one JSON line the harness parses;
-- latencies are microseconds, wrk's own histogram.
local method = os.getenv("LEASTDATA_WRK_METHOD") or "GET"
local path = os.getenv("LEASTDATA_WRK_PATH") or "/healthz"
local token = os.getenv("LEASTDATA_WRK_JWT")
local body = os.getenv("LEASTDATA_WRK_BODY")

local headers = {}
if token then headers["Authorization"] = "Bearer " .. token end
if body then
  headers["Content-Type"] = "application/json"
else
  headers["Content-Length"] = "0"
end
-- Built once per thread: formatting a request per call would make wrk the bottleneck.
local prepared = wrk.format(method, path, headers, body)

function request()
  return prepared
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\n{"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
