// `require` moved to the bottom module Requirement so that the modules below the engine can use it too;
// re-exported here so that every `import Engine` (Operations, Search, Training, Study, TestSupport and their
// tests) keeps seeing it without importing Requirement itself.
@_exported import Requirement
