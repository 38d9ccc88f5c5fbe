-- Upper-trapezius stretch (for a high shoulder, the neck program,
-- CLINICAL.md): stand tall, the working arm down and the shoulder low;
-- tilt the head away, ear toward the other shoulder, the other hand
-- resting on the head, until the side of the neck stretches. The side is
-- the side stretched: side "left" tilts the head to the right, and the
-- left arm (held down) is drawn in the side's colour.
return figure {
  title = "Upper-trapezius stretch",
  view = "front",
  side = "left",
  limbs = { "arm_l" },
  poses = {
    tall = { shoulder = 8, elbow = 6, hip = 4 },
    stretch = {
      neck = -35, head = -15,
      shoulder_l = 12, elbow_l = 0,
      shoulder_r = 170, elbow_r = 118,
      hip = 4,
    },
  },
  sequence = { "tall", "stretch" },
}
