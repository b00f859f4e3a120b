// Batch reading and list parsing live in Intake; Store's users keep reaching them through
// `import Store`, as they did before they moved.
@_exported import Intake
