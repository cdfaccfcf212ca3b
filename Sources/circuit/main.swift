import CircuitDriver

CommandLineTool.main()
