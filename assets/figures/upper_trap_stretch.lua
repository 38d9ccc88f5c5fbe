-- Upper-trapezius stretch (for a high shoulder, the neck program,
-- docs/programs/neck-shoulder.md): sit tall on a chair, the working hand
-- holding the chair seat so the shoulder stays low; tilt the head away,
-- ear toward the other shoulder, until the side of the neck stretches
-- (no hand pulls on the head). Seen from the front, the thighs coming
-- toward you. The side is the side stretched: side "left" tilts the head
-- to the right, and the left arm (holding the seat) is drawn in the
-- side's colour.
return figure {
  title = "Upper-trapezius stretch",
  view = "front",
  side = "left",
  limbs = { "arm_l" },
  props = { { "chair", under = "hip", pose = "tall" } },
  anchor = "hip",
  poses = {
    tall = { shoulder = 8, elbow = 6, hip = 8, hip_out = 80 },
    stretch = {
      neck = -28, head = -12,
      shoulder_l = 14, elbow_l = 0,
      shoulder_r = 8, elbow_r = 6,
      hip = 8, hip_out = 80,
    },
  },
  sequence = { "tall", "stretch" },
}
