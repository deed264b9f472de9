using EsxiImport.VmxParser.Manifest;

using Serilog;

namespace EsxiImport.EsxiFuse.Startup;

/// <summary>What the MOUNT step gets: the checked mount path, the validated options, the manifest.</summary>
/// <param name="MountPath">An existing directory with no stale mount on it.</param>
/// <param name="Options">The validated <c>-o</c> options.</param>
/// <param name="Manifest">The parsed manifest (the tree's datacenters, datastores and VM files).</param>
/// <param name="Log">The tool's logger.</param>
/// <param name="UserId">The user the tool becomes after mounting (<c>--change-user</c>), or null to stay.</param>
/// <param name="GroupId">The group the tool becomes after mounting (<c>--change-group</c>), or null to stay.</param>
public sealed record MountRequest(string MountPath, MountOptionList Options, Manifest Manifest, ILogger Log, uint? UserId = null, uint? GroupId = null);
