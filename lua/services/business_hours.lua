-- Business hours: on weekdays 08:00-18:00 (UTC) the call goes to the reception ring
-- group; outside them to the night line, or to voicemail when that is not registered.
-- Route a number (e.g. the main number) to this service; adjust the numbers below.
local RECEPTION = "600"
local NIGHT_LINE = "1099"
local VOICEMAIL = "1098"

function on_route(call)
  local now = callplane.now()
  local weekday = now.weekday <= 5
  if weekday and now.hour >= 8 and now.hour < 18 then
    return {action = "route", target = RECEPTION}
  end
  if callplane.is_registered(NIGHT_LINE) then
    return {action = "route", target = NIGHT_LINE}
  end
  return {action = "route", target = VOICEMAIL}
end
