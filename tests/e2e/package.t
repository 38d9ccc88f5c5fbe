#!/usr/bin/env perl
# The Debian package a clinic installs (docs/kiosk.md): `./dev.sh package`
# builds it (a release build, lintian with no error or warning), and it is
# installed with dpkg into a throw-away root, running its real maintainer
# scripts (dpkg --root --force-script-chrootless, as for an image being
# built): the files are there, the rebalance user exists with exactly its
# groups, the state directory is private to it, the settings are a
# conffile, and the unit is enabled but not started. systemd-analyze checks
# the unit (verify, and security with an exposure of 3.0 or lower). Purging
# takes it all away again but the user.
#
# The build takes a minute or so on two cores; REBALANCE_DEB=FILE.deb tests
# a package already built instead.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Temp qw(tempdir);
use File::Path qw(make_path);
use File::Basename qw(basename);

my $root = root();
my @tools = qw(dpkg dpkg-deb dpkg-buildpackage dh lintian systemd-analyze
  systemd-sysusers systemctl fakeroot);
my @missing = grep { system("command -v $_ >/dev/null 2>&1") != 0 } @tools;
plan skip_all => "needs @missing (./dev.sh test installs them)" if @missing;
plan skip_all => 'installs into a throw-away root with dpkg: needs root (CI runs as root)'
  if $> != 0;

sub sh_quote { my $s = shift; $s =~ s/'/'\\''/g; return "'$s'" }

# run(CMD) -> (exit status, stdout and stderr)
sub run {
  my $cmd = shift;
  my $out = `$cmd 2>&1`;
  return ($? >> 8, $out);
}

sub slurp {
  my $f = shift;
  open my $fh, '<', $f or return undef;
  local $/;
  return scalar <$fh>;
}

my $tmp = tempdir(CLEANUP => 1);

# --- the unit, as written --------------------------------------------------
{
  my ($rc, $out) = run('systemd-analyze security --offline=yes --threshold=30 '
                       . sh_quote("$root/systemd/rebalance.service"));
  my ($level) = $out =~ /Overall exposure level for rebalance\.service: ([\d.]+)/;
  is($rc, 0, 'systemd-analyze security: exposure 3.0 or lower') or diag $out;
  ok(defined $level && $level <= 3.0, 'exposure ' . ($level // '?'));
}

# --- build -----------------------------------------------------------------
my $deb = $ENV{REBALANCE_DEB};
if (!$deb) {
  my $dist = "$tmp/dist";
  my $t0 = time;
  # no -dbgsym package: it is not installed here and takes time to make
  my ($rc, $out) = run("cd " . sh_quote($root) . " && REBALANCE_DIST=" . sh_quote($dist)
                       . " DEB_BUILD_OPTIONS=noautodbgsym ./dev.sh package");
  is($rc, 0, 'dev.sh package: builds, and lintian finds no error or warning')
    or diag(join "\n", grep { /\b(error|warning):|^[EWX]: / } split /\n/, $out);
  my @lint = grep { /^[EWIPXN]: / } split /\n/, $out;
  is(scalar(grep { /^[EW]: / } @lint), 0, 'lintian: no E: or W: lines') or diag join "\n", @lint;
  note "lintian: $_" for @lint;
  note 'built in ' . (time - $t0) . ' s';
  ($deb) = glob("$dist/rebalance_*.deb");
  ok($deb && -f $deb, 'dist/ holds rebalance_VERSION_ARCH.deb') or BAIL_OUT('no package');
  ok(-f $_, basename($_) . ' beside it') for glob("$dist/rebalance_*.changes"),
    glob("$dist/rebalance_*.buildinfo");
}
my $qdeb = sh_quote($deb);

# --- what the package says and holds --------------------------------------
my ($version) = `dpkg-deb -f $qdeb Version` =~ /(\S+)/;
my ($cmake_version) = (slurp("$root/CMakeLists.txt") // '') =~ /project\(rebalance VERSION ([\d.]+)/;
is($version, $cmake_version, "the package's version is the project's ($version)");
is(`dpkg-deb -f $qdeb Package` =~ s/\s+//gr, 'rebalance', 'Package: rebalance');
my $depends = `dpkg-deb -f $qdeb Depends`;
like($depends, qr/\blibsystemd0\b/, 'Depends: libsystemd0 (sd_notify)');
like($depends, qr/\bsystemd\b/, 'Depends: systemd (systemd-sysusers makes the user)');
{
  my ($rc, $conffiles) = run("dpkg-deb -I $qdeb conffiles");
  is($conffiles, "/etc/rebalance/rebalance.conf\n",
     'conffiles: /etc/rebalance/rebalance.conf, and only it');
}
my %files = map { m{^\./(.*)} ? ($1 => 1) : () }
  map { (split ' ', $_, 6)[5] } split /\n/, `dpkg-deb -c $qdeb`;
my @want = (
  'usr/bin/rebalance',
  'etc/rebalance/rebalance.conf',
  'lib/systemd/system/rebalance.service',
  'usr/lib/sysusers.d/rebalance.conf',
  'usr/lib/tmpfiles.d/rebalance.conf',
  'lib/udev/rules.d/60-rebalance-backlight.rules',
  'lib/udev/rules.d/61-rebalance-usb.rules',
  'usr/share/polkit-1/rules.d/60-rebalance.rules',
  'usr/include/rebalance/plugin.h',
  'usr/share/pkgconfig/rebalance-plugin.pc',
  'usr/share/man/man1/rebalance.1.gz',
  'usr/share/doc/rebalance/copyright',
  'usr/share/doc/rebalance/README.md',
  'usr/share/doc/rebalance/docs/kiosk.md',
  'usr/share/doc/rebalance/docs/routines.md',
  'usr/share/doc/rebalance/docs/plugins.md',
  'usr/share/doc/rebalance/hw/README.md',
  (map { 'usr/share/rebalance/routines/' . basename($_) } glob("$root/scripts/routines/*.lua")),
  (map { 'usr/lib/rebalance/plugins/' . basename($_) . '.so' } grep { -d } glob("$root/plugins/*")),
  (map { 'usr/share/rebalance/' . s{^\Q$root\E/}{}r } grep { -f } glob("$root/assets/figures/*")),
);
ok($files{$_}, "holds /$_") for @want;

# --- install into a throw-away root ---------------------------------------
# The root starts as a clean Debian system's user database: base-passwd's,
# systemd's groups, and udev's input and render (Raspberry Pi OS also has
# gpio; here it is missing, and the package makes it). policy-rc.d says no
# service may start, as in a chroot or an image being built.
my $R = "$tmp/root";
make_path(map { "$R/$_" } qw(etc var/lib/dpkg/info var/lib/dpkg/updates
  var/lib/dpkg/triggers usr/sbin run lib/systemd/system));
for (qw(status available)) { open my $fh, '>', "$R/var/lib/dpkg/$_" or die $! }
system('cp', '/usr/share/base-passwd/passwd.master', "$R/etc/passwd") == 0 or die;
system('cp', '/usr/share/base-passwd/group.master', "$R/etc/group") == 0 or die;
{
  open my $fh, '>', "$tmp/udev-groups.conf" or die $!;
  print $fh "g input -\ng render -\n";
}
my $qR = sh_quote($R);
my ($rc, $out) = run("systemd-sysusers --root=$qR /usr/lib/sysusers.d/basic.conf "
                     . sh_quote("$tmp/udev-groups.conf"));
is($rc, 0, 'the root has a Debian user database') or diag $out;
{
  open my $fh, '>', "$R/usr/sbin/policy-rc.d" or die $!;
  print $fh "#!/bin/sh\nexit 101\n";
  close $fh;
  chmod 0755, "$R/usr/sbin/policy-rc.d";
}
# the real maintainer scripts, run outside the root with DPKG_ROOT set;
# dependencies are the host's (this root holds no libraries)
($rc, $out) = run("dpkg --root=$qR --force-script-chrootless --force-depends "
                  . "--log=$qR/dpkg.log -i $qdeb");
is($rc, 0, 'dpkg -i into the throw-away root') or diag $out;
unlike($out, qr/warning: (?!.*dependency problems)|failed|error/i,
       'its maintainer scripts say nothing wrong') or diag $out;
{
  my ($src, $st) = run("dpkg --root=$qR -s rebalance");
  like($st, qr/^Status: install ok installed$/m, 'dpkg: installed');
  like($st, qr{^Conffiles:\n /etc/rebalance/rebalance\.conf [0-9a-f]{32}\n}m,
       'dpkg: /etc/rebalance/rebalance.conf is a conffile');
}
ok(-x "$R/usr/bin/rebalance", '/usr/bin/rebalance is there');
ok(-f "$R/$_", "/$_ is there") for grep { !/^usr\/bin/ } @want;

# the user
my %users = map { my @f = split /:/; ($f[0] => \@f) } split /\n/, slurp("$R/etc/passwd");
my %groups = map { my @f = split /:/, $_, -1; ($f[0] => \@f) } split /\n/, slurp("$R/etc/group");
my $u = $users{rebalance};
ok($u, 'systemd-sysusers made the user rebalance') or BAIL_OUT('no user');
ok($u->[2] > 0 && $u->[2] < 1000, "a system user (uid $u->[2])");
is($u->[5], '/var/lib/rebalance', 'its home is the state directory');
is($u->[6], '/usr/sbin/nologin', 'it cannot log in');
ok($groups{rebalance} && $groups{rebalance}[2] == $u->[3], 'its own group rebalance');
my @member = sort grep { grep { $_ eq 'rebalance' } split /,/, $groups{$_}[3] } keys %groups;
is_deeply(\@member, [sort qw(video render input gpio audio)],
          'in exactly the groups video, render, input, gpio and audio');
is($groups{video}[2], 44, 'video is the Debian group (44), not a new one');
is($groups{audio}[2], 29, 'audio is the Debian group (29)');

# the state directory, before the service ever ran
my @st = stat("$R/var/lib/rebalance");
ok(@st, '/var/lib/rebalance is made at install (tmpfiles.d)');
is($st[4], $u->[2], 'owned by rebalance') if @st;
is(sprintf('%o', $st[2] & 07777), '750', 'only for rebalance (0750)') if @st;

# enabled, not started
my $wants = "$R/etc/systemd/system/multi-user.target.wants/rebalance.service";
ok(-l $wants, 'enabled: multi-user.target wants rebalance.service');
is(readlink($wants), '/lib/systemd/system/rebalance.service', 'the packaged unit');
($rc, $out) = run("SYSTEMD_LOG_LEVEL=err systemctl --root=$qR is-enabled rebalance.service");
is($out =~ s/\s+//gr, 'enabled', 'systemctl --root: enabled');
{
  my $postinst = `dpkg-deb -I $qdeb postinst`;
  like($postinst, qr/systemd-sysusers .*rebalance\.conf[\s\S]*systemd-tmpfiles .*--create/,
       'postinst: the user is made before its directory');
  like($postinst, qr/if \[ -d \/run\/systemd\/system \]; then[^\n]*\n[\s\S]*deb-systemd-invoke/,
       'postinst: started only where systemd runs (not in a chroot or an image)');
}

# systemd-analyze on the installed unit, with systemd's own units beside it
system("cp -an /lib/systemd/system/. $qR/lib/systemd/system/") == 0 or die;
($rc, $out) = run("systemd-analyze verify --man=no --root=$qR rebalance.service");
is($rc, 0, 'systemd-analyze verify: the installed unit is sound') or diag $out;
is($out, '', 'and says nothing') or diag $out;
($rc, $out) = run("systemd-analyze security --offline=yes --threshold=30 --root=$qR rebalance.service");
my ($level) = $out =~ /Overall exposure level for rebalance\.service: ([\d.]+)/;
is($rc, 0, 'systemd-analyze security on the installed unit: 3.0 or lower') or diag $out;
note "exposure: " . ($level // '?');
note $_ for grep { /✗/ } split /\n/, $out;

# the installed program, on the host's libraries
{
  my $bin = sh_quote("$R/usr/bin/rebalance");
  my $conf = sh_quote("$R/etc/rebalance/rebalance.conf");
  ($rc, $out) = run("$bin --version");
  is($out, "rebalance $version\n", 'the installed program runs: --version');
  my @routines = glob("$R/usr/share/rebalance/routines/*.lua");
  ($rc, $out) = run("$bin --config $conf check " . join ' ', map { sh_quote($_) } @routines);
  is($rc, 0, 'the installed routines pass check, with the default settings') or diag $out;
  unlike($out, qr/rebalance\.conf:\d+/, 'the default settings file has no problem') or diag $out;
  ($rc, $out) = run("$bin --config $conf plugins --plugins " . sh_quote("$R/usr/lib/rebalance/plugins"));
  my $n = () = glob("$R/usr/lib/rebalance/plugins/*.so");
  like($out, qr/^$n loaded, 0 refused$/m, "the installed plugins load ($n)") or diag $out;
  my $pc = slurp("$R/usr/share/pkgconfig/rebalance-plugin.pc") // '';
  like($pc, qr/^prefix=\/usr$/m, 'rebalance-plugin.pc: prefix=/usr');
}

# --- purge --------------------------------------------------------------------
($rc, $out) = run("dpkg --root=$qR --force-script-chrootless --purge rebalance");
is($rc, 0, 'dpkg --purge') or diag $out;
ok(!-e $wants && !-l $wants, 'purged: no longer enabled');
ok(!-e "$R/etc/rebalance/rebalance.conf", 'purged: the settings are gone');
ok(!-e "$R/usr/bin/rebalance", 'purged: the program is gone');
like(slurp("$R/etc/passwd"), qr/^rebalance:/m,
     'the user stays (its results may still be on the disk)');

done_testing();
