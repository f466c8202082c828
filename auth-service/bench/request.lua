-- wrk script: one fixed request, answers counted by status.
-- args: METHOD PATH [CONTENT_TYPE BODY]
-- env:  BENCH_AUTH (optional): the whole Authorization header value
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = args[1]
  wrk.path = args[2]
  wrk.headers["User-Agent"] = "sentinel-bench/1"
  if args[3] then
    wrk.headers["Content-Type"] = args[3]
    wrk.body = args[4]
  end
  local auth = os.getenv("BENCH_AUTH")
  if auth and auth ~= "" then
    wrk.headers["Authorization"] = auth
  end
  ok, busy, other = 0, 0, 0
  codes, others = {}, ""
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 then
    busy = busy + 1
  else
    count_other(status)
  end
end

function count_other(status)
  other = other + 1
  codes[status] = (codes[status] or 0) + 1
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, code .. ":" .. n) end
  others = table.concat(parts, ",")
end

function done(summary, latency, requests)
  local o, b, x, codes = 0, 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("busy")
    x = x + t:get("other")
    if t:get("others") ~= "" then codes = codes .. " " .. t:get("others") end
  end
  io.write(string.format("RESULT ok=%d busy=%d other=%d p50=%.1f p99=%.1f codes=[%s]\n", o, b, x,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, codes))
end
