public enum BursarCommand { public static func main() {} }
