//! Which folders the kernel's change notifications cannot follow: on network
//! and FUSE file systems, a change made by another machine or by the FUSE
//! server never reaches inotify.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// File systems whose changes inotify does not see, by `statfs` magic
/// number (`linux/magic.h`, `fs/smb/client/cifsglob.h`), with their names.
const REMOTE: &[(i64, &str)] = &[
    (0x6969, "NFS"),
    (0x517B, "SMB"),
    (0xFF53_4D42, "CIFS"),
    (0xFE53_4D42, "SMB2"),
    (0x6573_5546, "FUSE"),
    (0x0102_1997, "9P"),
    (0x00C3_6400, "Ceph"),
    (0x5346_414F, "AFS"),
    (0x7375_7245, "Coda"),
    (0x564C, "NCP"),
    (0x0BD0_0BD0, "Lustre"),
    (0x4750_4653, "GPFS"),
];

/// The name of the remote or FUSE file system with this magic number.
pub fn remote_file_system(magic: i64) -> Option<&'static str> {
    REMOTE.iter().find(|(m, _)| *m == magic).map(|(_, name)| *name)
}

/// The file system `path` lies on, when inotify cannot follow it. `None`
/// for local file systems and when `statfs` fails (inotify is tried then).
pub fn remote_file_system_of(path: &Path) -> Option<&'static str> {
    let c_path = CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut stat = std::mem::MaybeUninit::<libc::statfs>::uninit();
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` is
    // written by statfs before it is read, only when it returns 0.
    let stat = unsafe {
        if libc::statfs(c_path.as_ptr(), stat.as_mut_ptr()) != 0 {
            return None;
        }
        stat.assume_init()
    };
    // f_type is signed on some targets and unsigned on others; the magic
    // numbers are 32-bit.
    #[allow(clippy::unnecessary_cast)]
    let magic = (stat.f_type as i64) & 0xFFFF_FFFF;
    remote_file_system(magic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_and_fuse_file_systems_are_recognised_by_their_magic_number() {
        assert_eq!(remote_file_system(0x6969), Some("NFS"));
        assert_eq!(remote_file_system(0xFF53_4D42), Some("CIFS"));
        assert_eq!(remote_file_system(0x6573_5546), Some("FUSE"));
        // ext4, btrfs, tmpfs, overlayfs
        for local in [0xEF53, 0x9123_683E, 0x0102_1994, 0x794C_7630] {
            assert_eq!(remote_file_system(local), None);
        }
    }

    #[test]
    fn a_local_temporary_folder_is_not_remote() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(remote_file_system_of(dir.path()), None);
    }
}
