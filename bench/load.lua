-- wrk script for every benchmark: the request shape comes from a spec file (written by
-- bench/common.py), paths rotate, each request may carry a fresh Idempotency-Key, and
-- done() prints one RESULT line of JSON with statuses, errors and latency percentiles.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  spec = dofile(args[1])
  counter = 0
  statuses = {}
end

function request()
  counter = counter + 1
  local path = spec.paths[(counter - 1) % #spec.paths + 1]
  local headers = {}
  for name, value in pairs(spec.headers) do headers[name] = value end
  if spec.idempotency_prefix ~= "" then
    headers["Idempotency-Key"] = spec.idempotency_prefix .. "-" .. tid .. "-" .. counter
  end
  local body = nil
  if spec.body ~= "" then body = spec.body end
  return wrk.format(spec.method, path, headers, body)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%s": %d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.6f, "socket_errors": %d, "statuses": {%s}, ' ..
    '"p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout,
    table.concat(parts, ", "), latency:percentile(50), latency:percentile(99)))
end
