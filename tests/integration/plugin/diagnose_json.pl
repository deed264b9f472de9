#!/usr/bin/perl
# Reads esxi-folder-fuse --diagnose-json on stdin with the JSON module the storage plugin uses
# (from_json of characters, as the plugin decodes the listing), masks the figures a run measures,
# and prints the report canonically (sorted keys, indented), for the golden cases.
use strict;
use warnings;
use JSON;

binmode(STDIN, ':encoding(UTF-8)');
binmode(STDOUT, ':encoding(UTF-8)');
my $text = do { local $/; <STDIN> };
my $report = from_json($text);
die "not a diagnose report\n" unless ($report->{schema} // '') eq 'esxi-folder-fuse-diagnose/1';

if (my $host = $report->{host}) {
    $host->{headLatencyMs} = '#' if defined $host->{headLatencyMs};
    for my $run (grep { defined } $host->{oneStream}, @{ $host->{parallel} // [] }) {
        $run->{$_} = '#' for qw(bytes seconds mibPerSecond);
    }
}

print JSON->new->canonical(1)->pretty(1)->encode($report);
