-- Pelvic tilt (the low back program, CLINICAL.md): lie on the back, knees
-- bent, feet flat; tighten the stomach and press the small of the back
-- into the floor, tilting the pelvis, then let it go.
return figure {
  title = "Pelvic tilt",
  view = "side",
  props = { "mat" },
  anchor = "heel",
  poses = {
    -- the low back arched a little off the floor
    rest = {
      pelvis = -64, trunk = -35, neck = 8,
      hip = 76, knee = 111, ankle = -29,
      shoulder = -16, -- arms on the mat by the sides
    },
    -- the pelvis tilted back (the tail curls up a little), the low back
    -- flat on the floor
    tilt = {
      pelvis = -106, trunk = 16,
      hip = 34, knee = 113, ankle = -27,
      shoulder = -6,
    },
  },
  sequence = { "rest", "tilt" },
}
