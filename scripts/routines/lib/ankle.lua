-- The ankle progression's dosing rule, shared: calf stretch holds a side
-- and whether to add calf raises, from the last two knee-to-wall results
-- (ankle-progression.lua says why; CLINICAL.md has the numbers).
--
-- local ankle = use("ankle")
-- local d = ankle.dose()  -- { holds = { left =, right = }, raises =, known = }

local HEALTHY_LOW = 9.2 -- 12.0 - 2.8 cm
local ASYMMETRY = 1.5   -- cm between sides worth flagging
local MDC = 1.9         -- a smaller change is measurement error
local OTHER = { left = "right", right = "left" }

-- The last two distances of a side, newest first (nil when none).
local function last_two(side)
  local h = history("knee_to_wall.distance_cm." .. side, 2)
  return h[1] and h[1].value, h[2] and h[2].value
end

local M = {}

function M.dose()
  local d = { holds = { left = 3, right = 3 }, raises = false, known = false }
  local now, before = {}, {}
  for _, side in ipairs({ "left", "right" }) do
    now[side], before[side] = last_two(side)
  end
  if type(now.left) ~= "number" or type(now.right) ~= "number" then
    return d
  end
  d.known = true
  for _, side in ipairs({ "left", "right" }) do
    if now[side] < HEALTHY_LOW then
      d.holds[side] = 4
    elseif now[side] <= 12.0 + 2.8 then
      d.holds[side] = 2
    end
    if now[side] + ASYMMETRY <= now[OTHER[side]] then
      d.holds[side] = d.holds[side] + 1
    end
    if type(before[side]) == "number" and now[side] - before[side] >= MDC then
      d.raises = true
    end
  end
  if now.left >= HEALTHY_LOW and now.right >= HEALTHY_LOW then
    d.raises = true
  end
  return d
end

return M
