// The JSON and CSV codecs live in Formats; Screening's users keep reaching them through
// `import Screening`, as they did before the codecs moved.
@_exported import Formats
