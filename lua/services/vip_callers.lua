-- VIP callers: known numbers skip the queue and ring the account manager directly;
-- everybody else goes on with the dial plan.
local VIP = {
  ["+442071234567"] = "1010",  -- Acme Ltd -> Alice
  ["+33123456789"] = "1011",   -- Bistro SA -> Bob
}

function on_route(call)
  local manager = VIP[call.caller]
  if manager and callplane.extension_exists(manager) then
    callplane.log("VIP call from " .. call.caller .. " to " .. manager)
    return {action = "route", target = manager}
  end
  return {action = "continue"}
end
