#!/usr/bin/perl
# The editor files (editor/: a LuaLS ---@meta file, .luarc.json, a
# luacheck standard) are what `rebalance editor` writes from the engine's
# API table, and luacheck finds nothing in the bundled routines and their
# lib/ helpers with that standard.
use strict;
use warnings;
use FindBin;
use File::Temp ();
use Test::More;

my $root = $ENV{REBALANCE_ROOT} // "$FindBin::Bin/../..";
my $bin  = $ENV{REBALANCE_BIN}  // "$root/build-asan/rebalance";
plan skip_all => "no $bin: build first" unless -x $bin;

sub slurp {
  my ($p) = @_;
  open my $fh, '<', $p or return '';
  local $/;
  return <$fh>;
}

my $dir = File::Temp::tempdir(CLEANUP => 1);
is(system("$bin editor $dir >/dev/null 2>&1"), 0, 'rebalance editor runs');
for my $f ('types/rebalance.lua', '.luarc.json', '.luacheckrc') {
  ok(length(slurp("$dir/$f")) > 100, "$f written");
  is(slurp("$dir/$f"), slurp("$root/editor/$f"),
     "editor/$f is up to date (run: rebalance editor editor)");
}
like(slurp("$dir/types/rebalance.lua"), qr/^function pain_check\(when, opts\) end$/m,
     'the API 1.1 calls are in the LuaLS file');
like(slurp("$dir/types/rebalance.lua"), qr/---\@field words\? rebalance\.tempo_words/,
     'with their option tables');

SKIP: {
  skip 'luacheck is not installed (./dev.sh test installs lua-check)', 3
    unless system('command -v luacheck >/dev/null 2>&1') == 0;
  my $out = `luacheck --no-color --config $root/editor/.luacheckrc $root/scripts/routines $root/scripts/routines/lib 2>&1`;
  is($? >> 8, 0, 'luacheck: the bundled routines and lib/ helpers are clean')
    or diag $out;
  like($out, qr/0 warnings \/ 0 errors/, 'luacheck: 0 warnings');
  # the standard is strict: a routine reaching for io is caught
  my $bad = "$dir/bad.lua";
  open my $fh, '>', $bad or die $!;
  print $fh "return routine { id = 'b', title = 'B', run = function() io.write('x') end }\n";
  close $fh;
  my $o2 = `luacheck --no-color --config $root/editor/.luacheckrc $bad 2>&1`;
  like($o2, qr/undefined variable 'io'/, 'luacheck: io is not a routine global');
}

done_testing();
