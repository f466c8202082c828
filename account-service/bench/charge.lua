-- wrk script: POST charges with a unique idempotency key per request.
-- args: ACCOUNT_PREFIX COUNT AMOUNT_CENTS
--   COUNT = 1   -> every request charges the account ACCOUNT_PREFIX (one hot account)
--   COUNT = N>1 -> each request charges ACCOUNT_PREFIX-<1..N>, picked at random
-- env: BENCH_TOKEN (a SERVICE token), BENCH_RUN (unique per run, keeps keys unique)
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  prefix = args[1]
  count = tonumber(args[2])
  amount = args[3]
  run = os.getenv("BENCH_RUN") or "run"
  counter = 0
  ok, refused, other = 0, 0, 0
  math.randomseed(os.time() + id * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

function request()
  counter = counter + 1
  local account = prefix
  if count > 1 then
    account = prefix .. "-" .. math.random(1, count)
  end
  local body = '{"amountCents":' .. amount .. ',"idempotencyKey":"' .. run .. '-' .. id .. '-' .. counter .. '"}'
  return wrk.format(nil, "/v1/admin/accounts/" .. account .. "/spend", nil, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 402 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, r, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    r = r + t:get("refused")
    x = x + t:get("other")
  end
  io.write(string.format("RESULT ok=%d refused=%d other=%d p50=%.1f p99=%.1f\n", o, r, x,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
