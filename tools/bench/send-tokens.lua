-- wrk script: sends `Authorization: Bearer <token>` with the tokens of a file (one
-- per line) in turn, and counts every answer that is not 200, so a fast wrong
-- answer never counts.
--   wrk -t1 -c32 -dNs -s send-tokens.lua URL -- TOKEN_FILE cycle|once CONNECTIONS
-- cycle: start over at the end of the file (warm: wrk's Lua API has no connection
--        id, so 32 tokens go round-robin over the 32 connections);
-- once:  never send a token twice (cold): stop the load when the file runs out,
--        keeping one token per connection for requests started while stopping.
-- Prints one line, `BENCH_RESULT {json}`, when done; `activeMicros` is the time
-- load ran, shorter than wrk's duration when a `once` file ran out.

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")
local function nowMicros()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local tokens = {}
local nextIndex = 1
local once = false
-- Tokens kept back in `once` mode: one per connection.
local reserve = 0
-- Globals, so done() can read them from the thread with thread:get().
wrong_answers = 0
tokens_sent = 0
started_at = 0
stopped_at = 0

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      tokens[#tokens + 1] = line
    end
  end
  once = args[2] == "once"
  reserve = tonumber(args[3])
  if #tokens == 0 or (once and #tokens <= reserve) then
    error("too few tokens in " .. args[1])
  end
end

function request()
  if tokens_sent == 0 then
    started_at = nowMicros()
  end
  if once and stopped_at == 0 and nextIndex > #tokens - reserve then
    stopped_at = nowMicros()
    wrk.thread:stop()
  end
  local token = tokens[nextIndex]
  nextIndex = nextIndex % #tokens + 1
  tokens_sent = tokens_sent + 1
  return wrk.format(nil, nil, { Authorization = "Bearer " .. token })
end

function response(status, headers, body)
  if status ~= 200 then
    wrong_answers = wrong_answers + 1
  end
end

function done(summary, latency, requests)
  local thread = threads[1]
  local stopped = thread:get("stopped_at")
  local active = summary.duration
  if stopped > 0 then
    active = stopped - thread:get("started_at")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"activeMicros":%d,"p50Micros":%d,"p99Micros":%d,"wrongAnswers":%d,"tokensSent":%d,' ..
    '"socketErrors":{"connect":%d,"read":%d,"write":%d,"timeout":%d}}\n',
    summary.requests, active, latency:percentile(50), latency:percentile(99), thread:get("wrong_answers"),
    thread:get("tokens_sent"), errors.connect, errors.read, errors.write, errors.timeout))
end
