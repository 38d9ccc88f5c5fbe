-- Calf raise (calf strength, the ankle program, CLINICAL.md): stand tall,
-- fingertips on a wall for balance; rise onto the balls of the feet, then
-- lower the heels slowly.
return figure {
  title = "Calf raise",
  view = "side",
  props = { { "wall", at = "hand", pose = "down" } },
  anchor = "toe",
  poses = {
    down = { shoulder = 75, elbow = 15 },
    up = { ankle = -22, shoulder = 75, elbow = 15 },
  },
  sequence = { "down", "up" },
}
