"use strict";
exports.id = 848;
exports.ids = [848];
exports.modules = {

/***/ 8848:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   promote: () => (/* binding */ promote),
/* harmony export */   rollback: () => (/* binding */ rollback),
/* harmony export */   status: () => (/* binding */ status)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);

/** Promotes the canary to stable. */
async function promote(_config, _ctx) {
    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .notAvailable */ .Fc)('promote');
}
/** Removes the canary, or restores a recorded revision, leaving stable as it was. */
async function rollback(_config, _ctx) {
    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .notAvailable */ .Fc)('rollback');
}
/** Lists the releases recorded in the cluster. */
async function status(_config, _ctx) {
    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .notAvailable */ .Fc)('status');
}


/***/ })

};
;