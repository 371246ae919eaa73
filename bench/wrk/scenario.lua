-- One scenario of the benchmark, for either stack (wrk 4 with LuaJIT).
--
--   wrk ... -s scenario.lua URL -- SCENARIO COLLECTION DETAIL_SUFFIX TOKEN FIRST_ID LAST_ID TAG TERM VALUE_BASE VALUES_PER_THREAD
--
-- SCENARIO is list, search, detail, create or patch; COLLECTION the list path
-- ("/api/v1/components/"); DETAIL_SUFFIX what follows a record's id in its
-- path ("" or "/"); FIRST_ID..LAST_ID the loaded rows' ids; TAG makes this
-- run's part numbers unique; TERM is the search term; VALUE_BASE starts this
-- run's range of PATCH values, which no other run's range overlaps, with
-- VALUES_PER_THREAD for each thread (bench/harness/load.py). Every response's
-- status is counted, and done() prints one line "BENCH_RESULT {json}".

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local scenario, collection, suffix, first_id, last_id, tag, value_base, values_per_thread
local headers, static_request
local sequence = 0
statuses = {}

function init(args)
  scenario, collection, suffix = args[1], args[2], args[3]
  first_id, last_id, tag = tonumber(args[5]), tonumber(args[6]), args[7]
  local term = args[8]
  value_base, values_per_thread = tonumber(args[9]), tonumber(args[10])
  headers = {
    ["Authorization"] = "Bearer " .. args[4],
    ["Accept"] = "application/json",
    ["Content-Type"] = "application/json",
  }
  -- The same id sequence for both stacks, different per thread.
  math.randomseed(thread_number * 7919)
  if scenario == "list" then
    static_request = wrk.format("GET", collection .. "?limit=50", headers)
  elseif scenario == "search" then
    static_request = wrk.format("GET", collection .. "?limit=50&search=" .. term, headers)
  end
end

local function random_id()
  return math.random(first_id, last_id)
end

function request()
  if static_request then
    return static_request
  end
  sequence = sequence + 1
  if scenario == "detail" then
    return wrk.format("GET", collection .. random_id() .. suffix, headers)
  elseif scenario == "create" then
    local part = string.format("BENCH-%s-%d-%d", tag, thread_number, sequence)
    local body = string.format(
      '{"name": "Bench part %s", "description": "Created by the benchmark.", '
        .. '"status": "ACTIVE", "category": "Sensors", "part_number": "%s", '
        .. '"supplier": "Mouser", "unit_cost": "1.25", "quantity_on_hand": %d, '
        .. '"datasheet_url": "https://datasheets.example.com/%s.pdf"}',
      part, part, sequence % 5000, string.lower(part))
    return wrk.format("POST", collection, headers, body)
  elseif scenario == "patch" then
    -- A value no loaded row holds and no request of any run sent before, so
    -- every PATCH is a real change: the ids repeat from run to run (the same
    -- seed), and a PATCH that sent a row's own value again would write nothing.
    local value = value_base + thread_number * values_per_thread + sequence
    local body = string.format('{"quantity_on_hand": %d}', value)
    return wrk.format("PATCH", collection .. random_id() .. suffix, headers, body)
  end
  error("unknown scenario " .. tostring(scenario))
end

function response(status, response_headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "statuses": {%s}, '
      .. '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, '
      .. '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, table.concat(parts, ", "),
    errors.connect, errors.read, errors.write, errors.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max))
end
