-- Posture check at a mirror: shoulders, pelvis, head.
--
-- Standing at a mirror the patient (or a helper) compares shoulder and
-- hip height; side-on, whether the head sits in front of the shoulders.
-- A higher shoulder, a hitched hip and a forward head are common patterns
-- behind neck, back and knee pain (CLINICAL.md). The posture_mirror plugin
-- asks the questions and says what each finding usually means; we never
-- diagnose. Standing at a mirror the patient can reach the screen.

return routine {
  id = "posture-check",
  title = "Posture check",
  summary = "A look at your shoulders, hips and head in a mirror.",
  areas = { "neck", "shoulder", "low back" },
  equipment = { "mirror", "a helper, or a phone for a side photo" },
  minutes = 4,
  run = function()
    show { figure = "posture_mirror", title = "Face a mirror",
           text = "Stand tall, feet hip-width apart, arms relaxed." }
    say("Stand facing a mirror, feet hip-width apart, arms relaxed by your sides.")
    wait_next("Press Next when you are in front of the mirror")

    show { figure = "posture_mirror", title = "Look at your shoulders",
           text = "Is one shoulder higher than the other?" }
    say("Look at your shoulders. Is one higher than the other?")
    wait_next("Press Next")

    show { figure = "posture_hips", title = "Look at your hips",
           text = "Hands on your hip bones. Is one side higher?" }
    say("Put your hands on your hip bones. Is one side higher?")
    wait_next("Press Next")

    show { figure = "posture_side", title = "Side-on",
           text = "Turn side-on. Does your ear sit in front of your shoulder?" }
    say("Now turn side-on. A helper or a photo can tell: does your ear sit "
        .. "in front of your shoulder?")
    wait_next("Press Next to answer")

    local result = assess("posture_mirror")
    record("posture_mirror", result)
    show { title = "Well done", text = "Your results are saved." }
    say("Well done. Your results are saved for your therapist.")
  end,
}
