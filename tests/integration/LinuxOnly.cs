// These tests mount FUSE file systems, run Perl and shell tools and bind Unix sockets: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
