// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Vm, VM_ADDRESS} from "./Vm.sol";

/// @title FuzzBase
/// @notice What every fuzz test and handler here shares: the cheatcodes, assertions that revert with a message
/// (forge counts a revert in a test or invariant as a failure), and bounding of fuzzed inputs.
abstract contract FuzzBase {
    Vm internal constant vm = Vm(VM_ADDRESS);

    error AssertionFailed(string message, uint256 left, uint256 right);

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) revert AssertionFailed(message, 0, 0);
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) revert AssertionFailed(message, left, right);
    }

    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        if (left != right) revert AssertionFailed(message, uint256(left), uint256(right));
    }

    /// @dev Maps `x` into `[min, max]` without discarding runs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (max <= min) return min;
        return min + (x % (max - min + 1));
    }
}

/// @title InvariantBase
/// @notice The target-selection hooks forge's invariant runner calls (`targetContracts`, `targetSelectors`).
abstract contract InvariantBase is FuzzBase {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targets;
    FuzzSelector[] private _selectors;

    function targetContract(address target) internal {
        _targets.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _selectors.push(selector);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targets;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _selectors;
    }
}

/// @title Log
/// @notice Writes to forge's console (the `console.log` precompile address), shown with `-vv`.
library Log {
    address private constant CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    function log(string memory label, uint256 value) internal view {
        (bool ok, ) = CONSOLE.staticcall(abi.encodeWithSignature("log(string,uint256)", label, value));
        ok; // the console never fails; nothing to do either way
    }
}
