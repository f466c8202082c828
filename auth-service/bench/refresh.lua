-- wrk script: refresh with rotation, every request with a fresh, never-used refresh token.
-- args: TOKEN_FILE (one unrotated refresh token a line; each thread takes every Nth line)
-- Each thread keeps a queue: a request takes the oldest token, its 200 answer puts the
-- successor back. With at least as many tokens as connections the queue never runs dry,
-- and no token is ever sent twice (a reuse would revoke the session: 401).
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  queue, head, tail = {}, 1, 0
  local i = 0
  for line in io.lines(args[1]) do
    if i % n == id - 1 and line ~= "" then
      tail = tail + 1
      queue[tail] = line
    end
    i = i + 1
  end
  ok, busy, other, dry = 0, 0, 0, 0
  codes, others = {}, ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = "sentinel-bench/1"
end

function request()
  local token = "exhausted"
  if head <= tail then
    token = queue[head]
    queue[head] = nil
    head = head + 1
  else
    dry = dry + 1
  end
  return wrk.format(nil, "/v1/auth/refresh", nil, '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    local token = body:match('"refreshToken":"([^"]+)"')
    if token then
      ok = ok + 1
      tail = tail + 1
      queue[tail] = token
      return
    end
  end
  if status == 503 then busy = busy + 1 else count_other(status) end
end

function count_other(status)
  other = other + 1
  codes[status] = (codes[status] or 0) + 1
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, code .. ":" .. n) end
  others = table.concat(parts, ",")
end

function done(summary, latency, requests)
  local o, b, x, d, codes = 0, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    b = b + t:get("busy")
    x = x + t:get("other")
    if t:get("others") ~= "" then codes = codes .. " " .. t:get("others") end
    d = d + t:get("dry")
  end
  io.write(string.format("RESULT ok=%d busy=%d other=%d p50=%.1f p99=%.1f dry=%d codes=[%s]\n", o, b, x,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, d, codes))
end
