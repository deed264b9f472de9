#!/usr/bin/perl
# Decodes a listing the way ESXiPlugin.pm's get_manifest does (written for this project, not
# copied): run the listing command, append every stdout line plus "\n" to one string (what
# PVE::Tools::run_command's outfunc receives: bytes, no decoding layer), then JSON's from_json,
# which takes a string of characters. Prints what the plugin then uses, one tab-separated record
# a line, as UTF-8, with backslash, tab and newline in a field written as \\, \t and \n:
#   datacenter <dc> | vm <dc> <vm> <config datastore> <config path> |
#   disk <dc> <vm> <datastore> <path> | datastore <dc> <name> <url>
#
#   plugin_decode.pl [--manifest-out FILE] -- COMMAND [ARGS...]
# --manifest-out writes the joined string to FILE as the plugin stores it for the mount tool
# (file_set_contents of run/pve/import/esxi/<storage>/manifest.json), after from_json took it.
use strict;
use warnings;

use JSON qw(from_json);

my $manifest_out;
if (@ARGV >= 2 && $ARGV[0] eq '--manifest-out') {
    (undef, $manifest_out) = splice(@ARGV, 0, 2);
}
shift @ARGV if @ARGV && $ARGV[0] eq '--';
die "usage: $0 [--manifest-out FILE] -- COMMAND [ARGS...]\n" if !@ARGV;

open(my $out, '-|', @ARGV) or die "cannot run $ARGV[0]: $!\n";
binmode($out);
my $json = '';
while (defined(my $line = <$out>)) {
    chomp($line);
    $json .= $line . "\n";
}
close($out) or die "listing failed: exit " . ($? >> 8) . "\n";

my $data = from_json($json);
if (defined($manifest_out)) {
    open(my $fh, '>', $manifest_out) or die "cannot write $manifest_out: $!\n";
    print $fh $json;
    close($fh) or die "cannot write $manifest_out: $!\n";
}

sub record {
    my @fields = map { (my $f = $_) =~ s/([\\\t\n])/$1 eq "\t" ? '\t' : $1 eq "\n" ? '\n' : '\\\\'/ge; $f } @_;
    print join("\t", @fields), "\n";
}

binmode(STDOUT, ':encoding(UTF-8)');
for my $dc (sort keys %$data) {
    record('datacenter', $dc);
    my $vms = $data->{$dc}->{vms};
    for my $vm (sort keys %$vms) {
        my $config = $vms->{$vm}->{config};
        record('vm', $dc, $vm, $config->{datastore}, $config->{path});
        for my $disk (@{$vms->{$vm}->{disks}}) {
            record('disk', $dc, $vm, $disk->{datastore}, $disk->{path});
        }
    }
    my $datastores = $data->{$dc}->{datastores};
    for my $ds (sort keys %$datastores) {
        record('datastore', $dc, $ds, $datastores->{$ds});
    }
}
