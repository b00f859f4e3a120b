import BursarApp

await CommandMain.run(BursardCommand.self)
