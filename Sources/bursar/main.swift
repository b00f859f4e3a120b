import BursarApp
BursarCommand.main()
