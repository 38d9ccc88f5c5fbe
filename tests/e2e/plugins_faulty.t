#!/usr/bin/perl
# Faulty plugins (tests/plugins_faulty/faulty.c, one per fault): a crash,
# abort(), exit() or endless loop in init() or evaluate(), garbage, a
# look at a file. `rebalance plugins` and `check` survive each and name
# the plugin; a routine whose assessment's plugin fails ends as an error
# naming it, and the coach goes on.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Basename qw(dirname);
use File::Temp ();
use Test::More;

my $faulty = dirname(bin()) . '/tests/faulty';
plan skip_all => "no $faulty: build the tests" unless -d $faulty;

for my $f (qw(crash_init abort_init exit_init loop_init)) {
  my $r = run_rebalance(args => ['plugins', '--plugins', "$faulty/$f"],
                        no_timeline => 1);
  is($r->{status}, 0, "$f: rebalance plugins survives");
  like($r->{stdout}, qr/\Q$f\E\.so: refused: its init\(\) (crashed|did not finish|ended the process)/,
       "$f: and names the plugin and what it did");
  $r = run_rebalance(args => ['--plugins', "$faulty/$f", 'check',
                              root() . '/scripts/routines/low-back.lua'],
                     no_timeline => 1);
  like($r->{stdout}, qr/low-back\.lua: ok/, "$f: check survives it");
}

# under AddressSanitizer a crash is an exit with its report
my %why = (crash_eval => qr/crashed|ended the process/,
           abort_eval => qr/crashed/,
           exit_eval => qr/ended the process/, loop_eval => qr/did not finish/);
for my $f (sort keys %why) {
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/t.lua" or die $!;
  print $fh "return routine { id = 't', title = 'T', run = function()\n"
    . "  assess('$f', { values = { reach_cm = 12 } })\nend }\n";
  close $fh;
  my $r = run_rebalance(args => ['simulate', "$dir/t.lua", '--plugins', "$faulty/$f"],
                        no_timeline => 1);
  my $end = events_of($r->{stdout})->[-1] // {};
  is($end->{status}, 'error', "$f: the routine ends as an error");
  like($end->{error} // '', qr/t\.lua:2: .*\Q$f\E\.so.*$why{$f}/,
       "$f: naming the routine's line, the plugin and what it did");
  my $h = run_rebalance(
    args => ['--headless', '--virtual-clock', '--plugins', "$faulty/$f",
             '--routine', "$dir/t.lua"],
    input => "100 NEXT\n200 PRIMARY\n300 PRIMARY\n400 PRIMARY\n");
  my @starts = all_events($h->{timeline}, 'start');
  ok(@starts >= 2, "$f: the coach goes home and runs the next routine");
}

{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/t.lua" or die $!;
  print $fh "return routine { id = 't', title = 'T', run = function()\n"
    . "  local r = assess('snoop_eval', { values = { reach_cm = 3 } })\n"
    . "  record('said', r.summary)\nend }\n";
  close $fh;
  my $r = run_rebalance(args => ['simulate', "$dir/t.lua", '--plugins', "$faulty/snoop_eval"],
                        no_timeline => 1);
  my ($rec) = grep { $_->{key} eq 'said' } all_events(events_of($r->{stdout}), 'record');
  SKIP: {
    # qemu-user has no seccomp filters (./dev.sh arm64)
    skip 'no seccomp under qemu-user', 1 if bin() =~ /qemu/;
    is($rec && $rec->{value}, 'no file for a plugin',
       'a plugin cannot open a file from its evaluate()');
  }
}

done_testing();
