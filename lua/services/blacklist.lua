-- Caller blacklist: refuse known nuisance callers (exact numbers and prefixes); let the
-- dial plan handle everybody else.
local BLOCKED = { ["+441632960000"] = true, ["anonymous"] = true }
local BLOCKED_PREFIXES = { "+1900", "+44909" }

function on_route(call)
  if BLOCKED[call.caller] then
    return {action = "reject", code = 603, reason = "Declined"}
  end
  for _, prefix in ipairs(BLOCKED_PREFIXES) do
    if call.caller:sub(1, #prefix) == prefix then
      return {action = "reject", code = 603, reason = "Declined"}
    end
  end
  return {action = "continue"}
end
