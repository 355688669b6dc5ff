-- wrk script of the memory soak (tools/fuzz/soak.ts): cycles through a pool of
-- genuine tokens and the given paths. Each thread stops once it has had its
-- share of answers and says so on stderr; wrk itself sleeps out its -d, so the
-- harness interrupts it (SIGINT) when every thread is done, and done() reports.
local tokens = {}
for line in io.lines(os.getenv("SOAK_TOKENS")) do
  tokens[#tokens + 1] = line
end
local paths = {}
for path in string.gmatch(os.getenv("SOAK_PATHS"), "[^,]+") do
  paths[#paths + 1] = path
end
local per_thread = tonumber(os.getenv("SOAK_REQUESTS_PER_THREAD"))
local sent, answered = 0, 0

function request()
  sent = sent + 1
  -- Both indexes advance together; a pool size prime to the number of paths
  -- sends every token to every path.
  local token = tokens[sent % #tokens + 1]
  local path = paths[sent % #paths + 1]
  return wrk.format("GET", path, { Authorization = "Bearer " .. token })
end

function response(status, headers, body)
  answered = answered + 1
  if answered == per_thread then
    io.stderr:write("SOAK_THREAD_DONE\n")
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('SOAK_RESULT {"requests":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
