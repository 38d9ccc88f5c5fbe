return routine { id = "seed", title = "Seed", run = function()
  local a = ask { question = "Q", choices = { "A", "B" } }
  if a == "B" then hold { seconds = 1 } end
  pain_check("after")
end }
