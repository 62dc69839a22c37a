/*
 * make package-test only, never shipped: Go 1.22 and later draw their
 * random numbers from ProcessPrng in bcryptprimitives.dll, which Windows
 * 10 and later have and Debian 12's Wine 8.0 lacks. This stand-in, put in
 * the test's own Wine prefix, answers from RtlGenRandom (advapi32), which
 * Wine has, so the real executables can start under Wine.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
