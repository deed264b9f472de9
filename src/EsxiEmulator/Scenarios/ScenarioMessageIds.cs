namespace EsxiImport.Emulator.Scenarios;

/// <summary>Catalogue ids of scenario validation errors; each takes file, line and field.</summary>
internal static class ScenarioMessageIds
{
    public const string BadSizeMessageId = "emulator.scenario.bad-size";

    public const string BadValueMessageId = "emulator.scenario.bad-value";

    public const string DuplicateMessageId = "emulator.scenario.duplicate";

    public const string MissingFieldMessageId = "emulator.scenario.missing-field";

    public const string MissingFileMessageId = "emulator.scenario.missing-file";

    public const string NotABoolMessageId = "emulator.scenario.not-a-bool";

    public const string NotAListMessageId = "emulator.scenario.not-a-list";

    public const string NotAMappingMessageId = "emulator.scenario.not-a-mapping";

    public const string NotANumberMessageId = "emulator.scenario.not-a-number";

    public const string NotAScalarMessageId = "emulator.scenario.not-a-scalar";

    public const string NotOneOfMessageId = "emulator.scenario.not-one-of";

    public const string UnknownDatastoreMessageId = "emulator.scenario.unknown-datastore";

    public const string UnknownFieldMessageId = "emulator.scenario.unknown-field";
}
