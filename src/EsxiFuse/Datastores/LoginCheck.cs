using EsxiImport.Diagnostics;
using EsxiImport.EsxiFuse.Esxi;
using EsxiImport.VmxParser.Manifest;

using Serilog;

namespace EsxiImport.EsxiFuse.Datastores;

/// <summary>
/// The one check before ready: that the host answers, its certificate is trusted (unless
/// skipped) and it takes the credentials. Datastores of the manifest are asked in order until one
/// answers; one the host does not have (404, an answer given after the credentials were checked)
/// is a warning naming it, and the next is asked. So neither the order of the VMs nor a datastore
/// that is gone decides whether the mount comes up; only a refused login, an unreachable host or a
/// TLS failure (and a host that fails every request) does. A manifest without datastores (<c>{}</c>,
/// a host without importable VMs) mounts an empty tree without asking anything, as upstream's
/// tool, which makes no request before ready at all.
/// </summary>
internal static class LoginCheck
{
    public static async Task RunAsync(FolderClient client, Manifest manifest, string host, ILogger log, CancellationToken cancellationToken)
    {
        var candidates = Datastores(manifest);
        if (candidates.Count == 0)
        {
            log.Information("{Text:l}", Messages.Text("esxi-folder-fuse.connect.no-datastore"));
            return;
        }

        foreach (var (datacenter, datastore) in candidates)
        {
            try
            {
                await client.AuthenticateAsync(datacenter, datastore, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ToolError e) when (e.Kind == ErrorKind.NotFound)
            {
                log.Warning("{Text:l}", Messages.Format(
                    "esxi-folder-fuse.connect.datastore-missing", ("datastore", datastore), ("datacenter", datacenter), ("host", host)));
            }
        }
    }

    /// <summary>Every datastore the manifest names, each once: per datacenter the listed ones, then those only VMs name.</summary>
    internal static IReadOnlyList<(string Datacenter, string Datastore)> Datastores(Manifest manifest)
    {
        var seen = new HashSet<(string, string)>();
        var result = new List<(string, string)>();
        foreach (var (name, datacenter) in manifest.Datacenters)
        {
            var named = datacenter.Datastores.Keys
                .Concat(datacenter.Vms.Values.SelectMany(vm => vm.Disks.Select(d => d.Datastore).Prepend(vm.Config.Datastore)));
            foreach (var datastore in named)
            {
                if (seen.Add((name, datastore)))
                {
                    result.Add((name, datastore));
                }
            }
        }

        return result;
    }
}
