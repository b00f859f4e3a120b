/// The version `bursar --version` prints (and the interface version it implements).
public enum BursarVersion {
    public static let number = "1.2.0"
    public static let text = "\(number) (interface v1.2)"
}
