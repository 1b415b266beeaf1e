-- wrk script for the bench: GET wrk.path with Accept-Encoding: gzip (as a phone sends it),
-- rotating the Cookie header per request over the signed-in sessions listed one per line in
-- the file named by $BENCH_COOKIES (none: no Cookie header). Counts status codes per
-- thread and prints one line (BENCH_HX=1 adds the header HX-Request: true) "BENCH_JSON {...}" with the summary and percentiles.

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  cookies = {}
  local path = os.getenv("BENCH_COOKIES")
  if path and path ~= "" then
    for line in io.lines(path) do
      if line ~= "" then
        table.insert(cookies, line)
      end
    end
  end
  n = id * 7
  statuses = {}
end

function request()
  local headers = { ["Accept-Encoding"] = "gzip" }
  if os.getenv("BENCH_HX") == "1" then
    headers["HX-Request"] = "true"  -- an htmx request: the fragment, not the page
  end
  if #cookies > 0 then
    n = n + 1
    headers["Cookie"] = cookies[(n % #cookies) + 1]
  end
  return wrk.format("GET", wrk.path, headers)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local codes = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses") or {}
    for code, count in pairs(counted) do
      codes[code] = (codes[code] or 0) + count
    end
  end
  local parts = {}
  for code, count in pairs(codes) do
    table.insert(parts, string.format('"%s": %d', code, count))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us": %d, "requests": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"statuses": {%s}, "latency_us": {"min": %d, "mean": %.1f, "stdev": %.1f, "max": %d, ' ..
    '"p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", "),
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)))
end
