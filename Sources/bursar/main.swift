import BursarApp

await CommandMain.run(BursarCommand.self)
