-- wrk script: password logins, round robin over the pre-created verified users.
-- args: USER_PREFIX COUNT PASSWORD TOKEN_FILE
--   users are USER_PREFIX-1@bench.test .. USER_PREFIX-COUNT@bench.test
--   every refresh token received is appended to TOKEN_FILE.<thread> (refresh.lua reads them)
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  prefix, count, password = args[1], tonumber(args[2]), args[3]
  tokens = io.open(args[4] .. "." .. id, "a")
  counter = id * 7
  ok, busy, other = 0, 0, 0
  codes, others = {}, ""
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = "sentinel-bench/1"
end

function request()
  counter = counter + 1
  local body = '{"email":"' .. prefix .. '-' .. (counter % count + 1) .. '@bench.test","password":"' .. password .. '"}'
  return wrk.format(nil, "/v1/auth/login", nil, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    local token = body:match('"refreshToken":"([^"]+)"')
    if token then
      tokens:write(token, "\n")
      tokens:flush()
    end
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
