#!/usr/bin/perl
# Our own re-implementation of the launch steps of ESXiPlugin.pm's esxi_mount (written for
# this project, not copied): pipe, fork, clear CLOEXEC on the write end, exec the tool with
# --ready-fd, read the pipe to EOF, then the plugin's rule. Prints one line: the message the
# plugin would die with, "ok", or "timeout" when no EOF came within the limit.
#
#   esxi_mount_harness.pl --variant today|may2024|pre2025 --timeout SECONDS
#       [--skip-cert-verification] [--change-user U] [--change-group G] [-o OPTS]
#       [--stderr FILE] --user USER --password-file FILE HOST MANIFEST MOUNTDIR -- TOOL [TOOL-ARGS...]
# --stderr sends the harness's (and so the tool's inherited) stderr to FILE, as the API worker's
# stderr would be captured. The tool's stdout is /dev/null, as under the daemon; the harness's
# own stdout carries only the result line, so a tool that lives on never holds it open.
use strict;
use warnings;

use Fcntl qw(F_GETFD F_SETFD FD_CLOEXEC);
use Getopt::Long qw(GetOptionsFromArray);
use POSIX ();

my %opt = (variant => 'today', timeout => 30, 'change-user' => 'nobody',
    'change-group' => 'nogroup', o => 'allow_other');
my @argv = @ARGV;
my @tool;
if (my ($sep) = grep { $argv[$_] eq '--' } 0 .. $#argv) {
    @tool = @argv[$sep + 1 .. $#argv];
    @argv = @argv[0 .. $sep - 1];
}
GetOptionsFromArray(\@argv, \%opt, 'variant=s', 'timeout=i', 'skip-cert-verification',
    'change-user=s', 'change-group=s', 'o=s', 'user=s', 'password-file=s', 'stderr=s')
    or die "bad harness arguments\n";
my ($host, $manifest, $mntdir) = @argv;
die "usage: see the header of $0\n" if !defined($mntdir) || !@tool;
my $variant = $opt{variant};
die "unknown variant '$variant'\n" if $variant !~ /^(today|may2024|pre2025)$/;

if (defined($opt{stderr})) {
    open(STDERR, '>>', $opt{stderr}) or die "cannot open $opt{stderr}: $!\n";
}

my @extra_params = $opt{'skip-cert-verification'} ? ('--skip-cert-verification') : ();

pipe(my $rd, my $wr) or die "failed to create pipe: $!\n";

my $cpid = fork() // die "fork failed: $!\n";
if (!$cpid) {
    eval {
        close($rd);
        open(STDOUT, '>', '/dev/null') or die "unable to redirect STDOUT: $!\n";
        POSIX::setsid();
        if ($variant eq 'today') {
            # fix #6073: the first child exits at once so the daemon can reap it.
            my $pid2 = fork() // die "fork failed: $!\n";
            POSIX::_exit(0) if $pid2;
        }
        my $flags = fcntl($wr, F_GETFD, 0)
            // die "failed to get file descriptor flags: $!\n";
        fcntl($wr, F_SETFD, $flags & ~FD_CLOEXEC)
            // die "failed to remove CLOEXEC flag from fd: $!\n";
        if ($variant eq 'may2024') {
            open(STDERR, '>&', $wr) or die "unable to redirect STDERR: $!\n";
        }
        exec {$tool[0]} @tool,
            @extra_params,
            '--change-user', $opt{'change-user'},
            '--change-group', $opt{'change-group'},
            '-o', $opt{o},
            '--ready-fd', fileno($wr),
            '--user', $opt{user},
            '--password-file', $opt{'password-file'},
            $host, $manifest, $mntdir;
        die "exec failed: $!\n";
    };
    if (my $err = $@) {
        syswrite($wr, "ERROR: $err");
        POSIX::_exit(1);
    }
    POSIX::_exit(1);
}

undef $wr;

# Today's plugin reaps the intermediate child before reading.
waitpid($cpid, 0) if $variant eq 'today';

my $result = eval {
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm($opt{timeout});
    my $text = do { local $/ = undef; <$rd> };
    alarm(0);
    $text;
};
if (!defined($result)) {
    print "timeout\n";
    exit(0);
}

my $matched = $variant eq 'may2024'
    ? ($result =~ /^ERROR: (.*)$/i)
    : ($result =~ /^ERROR: (.*)$/);
if ($matched) {
    print "$1\n";
    exit(0);
}

if (waitpid($cpid, POSIX::WNOHANG) == $cpid) {
    print "failed to spawn fuse mount, process exited with status $?\n";
    exit(0);
}

print "ok\n";
exit(0);
