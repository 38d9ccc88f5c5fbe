-- Chin tuck (for a forward head, the neck program, CLINICAL.md): sit tall
-- and glide the head straight back, making a double chin, eyes level;
-- hold, then relax.
return figure {
  title = "Chin tuck",
  view = "side",
  props = { { "chair", under = "hip" } },
  anchor = "hip",
  poses = {
    -- the head poking forward
    rest = {
      hip = 90, knee = 90, shoulder = 25, elbow = 55,
      neck = 42, head = -30,
    },
    -- glided back over the shoulders, eyes still level
    tuck = {
      hip = 90, knee = 90, shoulder = 25, elbow = 55,
      neck = -18, head = 18,
    },
  },
  sequence = { "rest", "tuck" },
}
