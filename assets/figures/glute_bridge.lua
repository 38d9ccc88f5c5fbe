-- Glute bridge: lying on the back, knees bent, feet flat; squeeze the
-- buttocks and lift the hips until the body is straight from shoulders
-- to knees (CLINICAL.md: hold 3-5 s at the top). Both sides work at once.
return figure {
  title = "Glute bridge",
  view = "side",
  props = { "mat" },
  anchor = "heel",
  poses = {
    -- on the back (pelvis -90), knees up, feet flat, arms by the sides
    down = { pelvis = -90, hip = 50, knee = 109, ankle = -31, shoulder = -7 },
    -- the pelvis tipped past lying: hips up, shoulders and feet down
    up = { pelvis = -117, hip = -6, knee = 95, ankle = -15, neck = 27,
           shoulder = -36 },
  },
  sequence = { "down", "up" },
}
