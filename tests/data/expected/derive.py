#!/usr/bin/env python3
"""Derive the expected outputs of the annotations tests.

This is an independent reference of the FORMAT 4 rules written in Python,
following Ubuntu's own tool (debian/scripts/misc/kconfig/annotations.py):
the reader uses literal_eval and regular expressions, the writer str(dict),
exactly like that tool, so the C++ engine is checked against a second
implementation rather than against itself.

Usage: derive.py FIXTURE_DEBIAN_DIR OUT_DIR
Writes export/<arch>-<flavour>.config for every flavour of the header and
import-*.annotations for the import scenarios described in README.
"""
import os
import re
import sys
from ast import literal_eval


class Annotation:
    def __init__(self, fname):
        self.fname = fname
        with open(fname) as f:
            data = f.read()
        self.config = {}
        self.arch = []
        self.flavour = []
        self.flavour_dep = {}
        self.include = []
        self.header = ''
        for line in data.splitlines():
            if re.match(r'^#.*', line):
                m = re.match(r'^# ARCH: (.*)', line)
                if m:
                    self.arch = list(m.group(1).split(' '))
                m = re.match(r'^# FLAVOUR: (.*)', line)
                if m:
                    self.flavour = list(m.group(1).split(' '))
                m = re.match(r'^# FLAVOUR_DEP: (.*)', line)
                if m:
                    self.flavour_dep = literal_eval(m.group(1))
                self.header += line + "\n"
            else:
                break
        self._parse_body(data)

    def _parse_body(self, data):
        for line in data.splitlines():
            line = line.replace('\t', ' ')
            line = re.sub(r' +', ' ', line)
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            if re.match(r'.* (policy|note)<', line):
                conf = line.split(' ')[0]
                entry = self.config.get(conf, {'policy': {}})
                match = False
                m = re.match(r'.* policy<(.*?)>', line)
                if m:
                    match = True
                    new_entry = literal_eval(m.group(1))
                    for key in new_entry:
                        if key in self.arch:
                            for fk in list(entry['policy'].keys()):
                                if fk.startswith(key):
                                    del entry['policy'][fk]
                        entry['policy'][key] = new_entry[key]
                m = re.match(r'.* note<(.*?)>', line)
                if m:
                    entry['oneline'] = match
                    match = True
                    entry['note'] = "'" + m.group(1).replace("'", '') + "'"
                if not match:
                    raise SyntaxError(line)
                self.config[conf] = entry
                continue
            raise SyntaxError(line)

    def search_config(self, arch, flavour):
        key = f'{arch}-{flavour}'
        generic = self.flavour_dep.get(key, key)
        ret = {}
        for c, val in self.config.items():
            p = val['policy']
            if key in p:
                ret[c] = p[key]
            elif generic != key and generic in p:
                ret[c] = p[generic]
            elif arch in p:
                ret[c] = p[arch]
        return ret

    def export(self, arch, flavour):
        out = ''
        for c, v in self.search_config(arch, flavour).items():
            if v == '-':
                continue
            out += f'# {c} is not set\n' if v == 'n' else f'{c}={v}\n'
        return out

    def update(self, kconfig, arch, flavour):
        resolved = self.search_config(arch, flavour)
        names = list(kconfig) + [c for c in resolved if c not in kconfig]
        key = f'{arch}-{flavour}'
        for conf in names:
            val = kconfig.get(conf, '-')
            if conf in self.config:
                if val != resolved.get(conf) and 'note' in self.config[conf]:
                    self.config[conf]['note'] = 'TODO: update note'
                self.config[conf]['policy'][key] = val
            else:
                self.config[conf] = {'policy': {key: val}}

    def _compact(self):
        for conf in self.config.copy():
            p = self.config[conf]['policy']
            for flavour in self.flavour:
                if flavour not in p:
                    continue
                m = re.match(r'^(.*?)-(.*)$', flavour)
                if not m:
                    continue
                arch = m.group(1)
                if arch in p and p[flavour] == p[arch]:
                    del p[flavour]
                    continue
                if flavour in self.flavour_dep:
                    generic = self.flavour_dep[flavour]
                    if generic in p and p[flavour] == p[generic]:
                        del p[flavour]
            for k in p.copy():
                if k not in self.arch + self.flavour:
                    del p[k]
            if list(set(p.values())) == ['-']:
                p.clear()
            if not p:
                del self.config[conf]
                continue
            for arch in self.arch:
                arch_flavours = [i for i in self.flavour if i.startswith(arch + '-')]
                value = None
                for flavour in arch_flavours:
                    if flavour not in p:
                        break
                    if value is None:
                        value = p[flavour]
                    elif value != p[flavour]:
                        break
                else:
                    for flavour in arch_flavours:
                        del p[flavour]
                    if value is not None:
                        p[arch] = value
        for conf in self.config.copy():
            p = self.config[conf]['policy']
            if list(set(p.values())) == ['-']:
                p.clear()
            if not p:
                del self.config[conf]

    def save_text(self):
        self._compact()
        out = self.header + '\n'
        noted = sorted(c for c in self.config if 'note' in self.config[c])
        plain = sorted(c for c in self.config if 'note' not in self.config[c])
        for conf in noted:
            v = self.config[conf]
            line = f"{conf : <47} policy<{dict(sorted(v['policy'].items()))}>"
            if v.get('oneline', False):
                line += f" note<{v['note']}>"
            else:
                line += f"\n{conf : <47} note<{v['note']}>\n"
            out += line + '\n'
        if plain:
            out += '\n# ---- Annotations without notes ----\n\n'
        for conf in plain:
            out += f"{conf : <47} policy<{dict(sorted(self.config[conf]['policy'].items()))}>\n"
        return out


def read_kconfig(text):
    config = {}
    for line in text.splitlines():
        m = re.match(r'^# (CONFIG_.*) is not set$', line)
        if m:
            config[m.group(1)] = 'n'
            continue
        m = re.match(r'^(CONFIG_[A-Za-z0-9_]+)=(.*)$', line)
        if m:
            config[m.group(1)] = m.group(2)
    return config


# The import scenarios (see README): a generic config with a tickless change.
def tickless_edit(text):
    lines = [l for l in text.splitlines()
             if not l.startswith(('CONFIG_HZ', '# CONFIG_HZ', 'CONFIG_NO_HZ', '# CONFIG_NO_HZ',
                                  'CONFIG_RCU_NOCB_CPU', '# CONFIG_RCU_NOCB_CPU',
                                  'CONFIG_CONTEXT_TRACKING', '# CONFIG_CONTEXT_TRACKING',
                                  'CONFIG_ZONE_DMA=', 'CONFIG_UEVENT_HELPER_PATH'))]
    lines += ['CONFIG_HZ_100=y', '# CONFIG_HZ_250 is not set', 'CONFIG_HZ=100',
              '# CONFIG_NO_HZ_IDLE is not set', 'CONFIG_NO_HZ_FULL=y', 'CONFIG_NO_HZ_COMMON=y',
              'CONFIG_NO_HZ=y', 'CONFIG_RCU_NOCB_CPU=y', 'CONFIG_CONTEXT_TRACKING=y',
              'CONFIG_KFLAVOUR_TEST_NEW="a \\"quoted\\" value"']
    return '\n'.join(lines) + '\n'


def main():
    debian, out = sys.argv[1], sys.argv[2]
    fname = os.path.join(debian, 'config', 'annotations')
    os.makedirs(os.path.join(out, 'export'), exist_ok=True)
    a = Annotation(fname)
    for af in a.flavour:
        arch, flavour = af.split('-', 1)
        with open(os.path.join(out, 'export', f'{af}.config'), 'w') as f:
            f.write(a.export(arch, flavour))
    for arch, flavour in (('arm64', 'generic'), ('amd64', 'lowlatency')):
        a = Annotation(fname)
        edited = tickless_edit(a.export(arch, flavour))
        with open(os.path.join(out, f'import-{arch}-{flavour}.config'), 'w') as f:
            f.write(edited)
        a.update(read_kconfig(edited), arch, flavour)
        with open(os.path.join(out, f'import-{arch}-{flavour}.annotations'), 'w') as f:
            f.write(a.save_text())


if __name__ == '__main__':
    main()
