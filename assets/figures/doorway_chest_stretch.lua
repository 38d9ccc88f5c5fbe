-- Single-arm doorway chest stretch (CLINICAL.md): stand in a door frame,
-- forearm on the frame with the palm at about shoulder height, then turn
-- the chest gently through the door until a stretch is felt across the
-- chest. Seen from the side: the working arm stays on the frame while the
-- body steps and leans forward through the doorway.
return figure {
  title = "Doorway chest stretch",
  view = "side",
  side = "left",
  limbs = { "arm_l" },
  props = { { "door_frame", at = "wrist_l", pose = "arm_on_frame" } },
  anchor = "wrist_l",
  poses = {
    -- in the doorway, forearm up the frame, hand about shoulder height
    arm_on_frame = {
      -- the upper arm out to the side, toward you: it looks short
      shoulder_l = -20, shoulder_l_out = 55, elbow_l = -115,
      shoulder_r = 5, elbow_r = 10,
    },
    -- the chest turned through the door: a step forward, a slight lean;
    -- the forearm stays on the frame
    stretch = {
      pelvis = 8,
      hip_l = -4, ankle_l = 12,
      hip_r = 30, knee_r = 20, ankle_r = -2,
      shoulder_l = -55, shoulder_l_out = 20, elbow_l = -72,
      shoulder_r = 10, elbow_r = 15,
    },
  },
  sequence = { "arm_on_frame", "stretch" },
}
