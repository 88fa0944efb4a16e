import ZhSearch
@main struct Main { static func main() {} }
