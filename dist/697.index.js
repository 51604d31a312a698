"use strict";
exports.id = 697;
exports.ids = [697];
exports.modules = {

/***/ 8697:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   loadCases: () => (/* reexport safe */ _cases_js__WEBPACK_IMPORTED_MODULE_1__.EG),
/* harmony export */   smokeCanary: () => (/* binding */ smokeCanary)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _cases_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8288);


/** Sends the smoke cases to each Ready canary pod and compares with stable. */
async function smokeCanary(_config, _canary, _ctx) {
    throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .notAvailable */ .Fc)('smoke');
}


/***/ })

};
;